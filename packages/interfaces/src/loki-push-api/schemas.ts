import { z } from 'zod';
import { AlertRulesSchema, ScrapeMetadataSchema } from '../prometheus-scrape/schemas.js';
import { jsonField } from '../shared/index.js';

/** Loki's unit databag, as loki-k8s' `LokiPushApiProvider` writes it. */
export const LokiProviderUnitSchema = z.object({
  /** JSON `{"url": "http://loki-0...:3100/loki/api/v1/push"}`. */
  endpoint: jsonField(z.looseObject({ url: z.string().min(1) })),
});
export type LokiProviderUnit = z.infer<typeof LokiProviderUnitSchema>;

/** The log sender's application databag, as `LokiPushApiConsumer` and `LogForwarder` write it. */
export const LokiConsumerAppSchema = z.object({
  metadata: jsonField(ScrapeMetadataSchema),
  alert_rules: jsonField(z.union([AlertRulesSchema, z.strictObject({})])),
});
export type LokiConsumerApp = z.infer<typeof LokiConsumerAppSchema>;
