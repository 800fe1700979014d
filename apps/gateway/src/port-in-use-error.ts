/** The gateway's port is held by another process (often another gateway, or an earlier `npm start` still running). */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly code = 'GATEWAY_PORT_IN_USE';
}
