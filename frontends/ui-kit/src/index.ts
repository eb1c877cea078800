export { request, subscribe, GraphQLError } from "./graphql";
export { token, requireSignIn, signOut } from "./session";
