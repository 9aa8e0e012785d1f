import { ResolutionEntity } from './modules/resolutions/resolution.entity.js';

/** Every entity of the resolutions schema. */
export const entities = [ResolutionEntity];
