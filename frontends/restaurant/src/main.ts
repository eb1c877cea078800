// The kitchen console (frontends/restaurant). Being built in issue 4: this entry only
// checks the sign-in and the build pipeline; the console's columns come with the
// restaurant BFF's GraphQL schema.
import { LitElement, html } from "lit";
import { requireSignIn } from "@fd/ui-kit";

class KitchenConsole extends LitElement {
  connectedCallback(): void {
    super.connectedCallback();
    requireSignIn();
  }

  render() {
    return html`<h1>Kitchen console</h1>`;
  }
}

customElements.define("kitchen-console", KitchenConsole);
