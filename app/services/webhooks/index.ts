export {
  MAX_DELIVERY_ATTEMPTS,
  MAX_WEBHOOK_BODY_BYTES,
  pickUpDueWebhookDeliveries,
  processPendingWebhookDeliveries,
  processWebhookDelivery,
  listWebhookDeliveries,
  type DeliveryRow,
  receiveWebhook,
  settleWebhookDeliveries,
  startWebhookDeliveryPickup,
  type ProcessOptions,
} from "./deliveries.server";
export { WEBHOOK_TOPICS, type WebhookTopic } from "./handlers.server";
export { findCustomerDataExport, listCustomerDataExports, type CustomerDataExportSummary } from "./customer-data.server";
export { signWebhookBody, verifyWebhookSignature } from "./signature.server";
