export { ClientTokenService, CLIENT_TOKEN_PREFIX, type ClientSummary } from './ClientTokenService';
export { DEFAULT_CLIENT_LIMITS, type ClientLimitSettings } from './clientLimits';
export { EndpointLease, LEASE_STALE_MS, type EndpointHolder } from './EndpointLease';
export { startEndpoint, type EndpointClient, type EndpointDeps, type RunningEndpoint, type ServedModel } from './EndpointServer';
export { EndpointSupervisor, type EndpointStatus } from './EndpointSupervisor';
export { servedModels, slugOf } from './servedModels';
export { clientTokensOf, sessionEndpointDeps } from './sessionEndpoint';
export { managementApi, type ManagementDeps } from './managementApi';
