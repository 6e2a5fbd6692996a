export { createGatewayClient } from './gateway.js';
export type { Claims, GatewayClient, GatewayClientOptions, LogoutResult } from './gateway.js';
export { LatchkeyError } from './error.js';
export type { ErrorCode, Problem } from './error.js';
export type { FetchLike } from './http.js';
export type { LocationLike } from './return-to.js';
export { toReturnTo } from './return-to.js';
