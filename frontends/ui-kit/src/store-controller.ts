// Re-renders a Lit component whenever a store changes. A store is anything with
// `subscribe(listener) -> unsubscribe` that calls its listeners after each change.
//
//   private readonly store = new SubscribeController(this, shop).store;
import type { ReactiveController, ReactiveControllerHost } from "lit";

export interface Subscribable {
  subscribe(listener: () => void): () => void;
}

export class SubscribeController<S extends Subscribable> implements ReactiveController {
  private stop: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly store: S,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stop = this.store.subscribe(() => this.host.requestUpdate());
    this.host.requestUpdate(); // changes made while detached
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = null;
  }
}
