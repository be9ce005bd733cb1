// WebSocket close codes the servers use (RFC 6455 §7.4 and the IncuNest seed's 4000).
export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
  /** The seed's "authentication error". */
  NOT_AUTHORISED: 4000,
});
