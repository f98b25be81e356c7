/** The logger shape this package writes to (pino's `Logger` fits). Never given secrets. */
export interface ConnectionsLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Discards everything. */
export const silentLogger: ConnectionsLogger = { info() {}, warn() {}, error() {} };
