// Re-renders a Lit component whenever the kitchen store changes.
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { kitchen, type KitchenStore } from "./store";

export class StoreController implements ReactiveController {
  private stop: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly store: KitchenStore = kitchen,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stop = this.store.subscribe(() => this.host.requestUpdate());
    this.host.requestUpdate(); // changes made while detached (a hidden tab)
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = null;
  }
}
