// The kitchen console (frontends/restaurant): a restaurant's live order board, menu editor
// and insights, against the restaurant BFF's GraphQL API (same origin, /graphql).
import "@fd/ui-kit/src/tokens.css";
import "./kitchen.css";
import "./console-app";
