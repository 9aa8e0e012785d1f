/** Every subgraph of the supergraph, in composition order. */
export const subgraphNames = ['identity', 'support', 'resolutions', 'campaigns', 'knowledge', 'analytics'] as const;
export type SubgraphName = (typeof subgraphNames)[number];
