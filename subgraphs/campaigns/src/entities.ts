import { CampaignEntity } from './modules/campaigns/campaign.entity.js';

/** Every entity of the campaigns schema. */
export const entities = [CampaignEntity];
