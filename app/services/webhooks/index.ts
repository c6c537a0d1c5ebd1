export {
  MAX_DELIVERY_ATTEMPTS,
  MAX_WEBHOOK_BODY_BYTES,
  processPendingWebhookDeliveries,
  processWebhookDelivery,
  listWebhookDeliveries,
  type DeliveryRow,
  receiveWebhook,
  settleWebhookDeliveries,
  type ProcessOptions,
} from "./deliveries.server";
export { WEBHOOK_TOPICS, type WebhookTopic } from "./handlers.server";
export { findCustomerDataExport, listCustomerDataExports, type CustomerDataExportSummary } from "./customer-data.server";
export { signWebhookBody, verifyWebhookSignature } from "./signature.server";
