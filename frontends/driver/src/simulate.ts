// "Simulate driving": a switch that moves a demo position toward the delivery's next stop
// (so the customer's map shows the driver coming); on the shift card and the delivery.
import { css, html } from "lit";
import type { DriverStore } from "./store";

export function simulateSwitch(s: DriverStore) {
  const on = s.settings.simulate;
  return html`<div class="sim">
    <span id="sim-label"><strong>Simulate driving</strong><small>Moves you toward the next stop on a delivery</small></span>
    <button
      class="switch"
      role="switch"
      type="button"
      data-testid="simulate-driving"
      aria-labelledby="sim-label"
      aria-checked=${on ? "true" : "false"}
      @click=${() => s.setSimulate(!on)}
    >
      <span class="knob"></span>
    </button>
  </div>`;
}

export const simulateStyles = css`
  .sim {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--fd-space-3);
    min-height: 48px;
  }
  .sim span {
    display: grid;
  }
  .sim small {
    color: var(--fd-text-muted);
  }
  .sim .switch {
    width: 60px;
    height: 36px;
  }
  .sim .switch .knob {
    width: 30px;
    height: 30px;
  }
  .sim .switch[aria-checked="true"] .knob {
    transform: translateX(24px);
  }
  /* a 48 px tall target around the switch */
  .sim .switch::after {
    content: "";
    position: absolute;
    inset: -6px -4px;
  }
`;
