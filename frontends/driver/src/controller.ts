// Re-renders a Lit component whenever the driver store changes.
import type { ReactiveControllerHost } from "lit";
import { SubscribeController } from "@fd/ui-kit";
import { driver, type DriverStore } from "./store";

export function driverController(host: ReactiveControllerHost): SubscribeController<DriverStore> {
  return new SubscribeController(host, driver);
}
