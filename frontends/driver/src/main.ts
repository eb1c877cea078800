// The driver's app (frontends/driver): go online, see delivery offers live, take one,
// pick it up when the kitchen is ready, deliver it; today's earnings. Phone first, one
// thumb. Against the driver BFF's GraphQL API (same origin, /graphql).
import "@fd/ui-kit/src/tokens.css";
import "./driver.css";
import "./driver-app";
