/**
 * RFC 3261 §17.2 server transactions: the layer that matches requests to transactions, the
 * transactions' state machines and timers, and the replaceable clock they run on.
 */

export { type Clock, ManualClock, systemClock, type TimerHandle } from './clock.js';
export {
  TRANSACTION_ERROR_CODES,
  TransactionError,
  type TransactionErrorCode,
} from './errors.js';
export {
  type ReceiveResult,
  ServerTransactionLayer,
  type ServerTransactionLayerOptions,
  type TransactionLayerStats,
} from './layer.js';
export {
  ServerTransaction,
  type TransactionEvent,
  type TransactionState,
  type TransactionTransport,
} from './server-transaction.js';
export { DEFAULT_TIMER_VALUES, type TimerValues, TRYING_DELAY_MS } from './timers.js';
