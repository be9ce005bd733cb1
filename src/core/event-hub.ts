/**
 * Synchronous fan-out of events to listeners, in subscription order. A listener that
 * throws cannot stop the control tick or starve the others: the error goes to
 * `onListenerError` (the firmware's log) and delivery goes on.
 */
export class EventHub<E> {
  private listeners: Array<(event: E) => void> = [];
  listenerErrors = 0;

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  subscribe(listener: (event: E) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: E): void {
    // Iterate a stable array: listeners may unsubscribe while we deliver.
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.listenerErrors++;
        this.onListenerError(error);
      }
    }
  }
}
