-- Written by hand (data, not schema): checkouts that answered their post-purchase offer before
-- CheckoutOutcome existed get their answer, the first one reported, so a later report of the
-- other answer, or a signing after a decline, is refused for them too.
INSERT INTO "CheckoutOutcome" ("shopId", "surface", "referenceId", "kind", "createdAt")
SELECT w."shopId", w."placement", w."referenceId", w."kind", w."occurredAt"
FROM "WidgetEvent" w
WHERE w."placement" = 'post_purchase'
  AND w."kind" IN ('offer_accepted', 'offer_declined')
  AND w."referenceId" IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM "WidgetEvent" e
    WHERE e."shopId" = w."shopId" AND e."placement" = w."placement" AND e."referenceId" = w."referenceId"
      AND e."kind" IN ('offer_accepted', 'offer_declined') AND e."id" < w."id"
  )
ON CONFLICT DO NOTHING;
