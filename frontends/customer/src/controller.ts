// Re-renders a Lit component whenever the shop store changes.
import type { ReactiveControllerHost } from "lit";
import { SubscribeController } from "@fd/ui-kit";
import { shop, type ShopStore } from "./store";

export function shopController(host: ReactiveControllerHost): SubscribeController<ShopStore> {
  return new SubscribeController(host, shop);
}
