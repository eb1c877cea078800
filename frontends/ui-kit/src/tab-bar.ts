// The main navigation of the phone apps (customer, driver): a tab bar fixed at the bottom
// of the screen, one link per tab with an icon over its label; the current tab
// (aria-current="page") is marked by colour and a bar on top. Set `--fd-tab-count` on
// the host to the number of tabs (3 by default). Needs `--nav-height` (the apps' token).
//
//   <nav><a href="#/" aria-current="page">${icon}<span>Shop</span></a>…</nav>
import { css } from "lit";

export const tabBar = css`
  nav {
    position: fixed;
    z-index: 30;
    left: 0;
    right: 0;
    bottom: 0;
    display: grid;
    grid-template-columns: repeat(var(--fd-tab-count, 3), 1fr);
    padding-bottom: env(safe-area-inset-bottom, 0px);
    background: var(--fd-surface);
    border-top: 1px solid var(--fd-border);
    box-shadow: 0 -2px 10px rgb(16 24 40 / 0.06);
  }
  nav a {
    position: relative;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 2px;
    min-height: var(--nav-height);
    color: var(--fd-text-muted);
    text-decoration: none;
    font-size: var(--fd-text-xs);
    font-weight: 700;
    -webkit-tap-highlight-color: transparent;
  }
  nav a svg {
    width: 24px;
    height: 24px;
  }
  nav a[aria-current="page"] {
    color: var(--fd-primary-strong);
  }
  nav a[aria-current="page"]::before {
    content: "";
    position: absolute;
    top: 0;
    left: 30%;
    right: 30%;
    height: 3px;
    border-radius: 0 0 3px 3px;
    background: var(--fd-primary);
  }
  nav a:focus-visible {
    outline-offset: -4px;
  }
`;
