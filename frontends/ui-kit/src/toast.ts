// A short message that appears at the bottom of the screen and goes away by itself
// ("Another driver took this order"): a `Toaster` holds the current one, `toastView`
// renders it (a polite live region, so screen readers hear it), `toastStyles` places it.
// Set `--fd-toast-bottom` on the host to keep it above a bottom bar.
//
//   readonly toasts = new Toaster();              // in a store; subscribe() re-renders
//   toasts.show("Saved", "success");
//   html`${toastView(toasts.current, () => toasts.dismiss())}`
import { css, html, nothing } from "lit";
import type { Subscribable } from "./store-controller";

export type ToastTone = "info" | "success" | "danger";

export interface Toast {
  id: number;
  text: string;
  tone: ToastTone;
}

export class Toaster implements Subscribable {
  current: Toast | null = null;
  private next = 1;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly defaultMs = 5_000) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Shows `text` (in place of the one showing) for `ms`. */
  show(text: string, tone: ToastTone = "info", ms = this.defaultMs): void {
    this.current = { id: this.next++, text, tone };
    if (this.timer !== null) clearTimeout(this.timer);
    const id = this.current.id;
    this.timer = setTimeout(() => this.current?.id === id && this.dismiss(), ms);
    this.changed();
  }

  dismiss(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.current) return;
    this.current = null;
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The toast (nothing without one); a tap dismisses it. */
export function toastView(toast: Toast | null, onDismiss: () => void, testid = "toast") {
  return html`<div class="fd-toast-region" role="status" aria-live="polite">
    ${toast
      ? html`<button type="button" class="fd-toast ${toast.tone}" data-testid=${testid} title="Dismiss" @click=${onDismiss}>
          ${toast.text}
        </button>`
      : nothing}
  </div>`;
}

export const toastStyles = css`
  .fd-toast-region {
    position: fixed;
    z-index: 60;
    left: 0;
    right: 0;
    bottom: calc(var(--fd-toast-bottom, 16px) + env(safe-area-inset-bottom, 0px));
    display: flex;
    justify-content: center;
    padding: 0 var(--fd-space-4);
    pointer-events: none;
  }
  .fd-toast {
    pointer-events: auto;
    max-width: 480px;
    width: 100%;
    min-height: 48px;
    padding: var(--fd-space-3) var(--fd-space-4);
    border: 0;
    border-left: 5px solid var(--fd-primary);
    border-radius: var(--fd-radius);
    background: var(--fd-inverse-bg);
    color: var(--fd-inverse-text);
    box-shadow: var(--fd-shadow-lg);
    font: inherit;
    font-weight: 600;
    text-align: left;
    cursor: pointer;
    animation: fd-toast-in 0.2s ease-out;
  }
  .fd-toast.success {
    border-left-color: #35d07f;
  }
  .fd-toast.danger {
    border-left-color: #ff6b6b;
  }
  @keyframes fd-toast-in {
    from {
      transform: translateY(12px);
      opacity: 0;
    }
  }
`;
