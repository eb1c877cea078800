// The customer's ordering app (frontends/customer): browse open restaurants, fill a cart,
// place the order and follow it live, against the customer BFF's GraphQL API (same origin,
// /graphql). Phone first.
import "@fd/ui-kit/src/tokens.css";
import "./shop.css";
import "./shop-app";
