/** A `resolution.created` / `resolution.updated` event before its fields are resolved (the resolution loads per event). */
export interface ResolutionUpdateEvent {
  resolutionId: string;
  updateType: string;
  changedAt: Date;
}
