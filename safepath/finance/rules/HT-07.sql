WITH away AS (
    SELECT DISTINCT t.customer_id FROM txn t JOIN cust c ON c.customer_id = t.customer_id
    WHERE t.direction = 'in' AND t.channel IN ('cash_branch', 'cash_atm') AND t.merchant_city IS NOT NULL
      AND lower(t.merchant_city) <> coalesce(lower(c.residence_city), '')
), t AS (
    SELECT t.customer_id, t.txn_id, t.direction, t.channel, t.amount_base, lower(t.merchant_city) AS city,
           lower(c.residence_city) AS home, floor(t.ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn t JOIN cust c ON c.customer_id = t.customer_id
    WHERE t.customer_id IN (SELECT customer_id FROM away)
), dep AS (
    SELECT * FROM t
    WHERE direction = 'in' AND channel IN ('cash_branch', 'cash_atm') AND city IS NOT NULL
      AND city <> coalesce(home, '') AND amount_base < {{report_threshold}}
), outs AS (
    SELECT customer_id, bucket, sum(amount_base) AS out_total FROM t WHERE direction = 'out'
    GROUP BY customer_id, bucket
), b AS (
    SELECT d.customer_id, d.bucket FROM dep d
    JOIN outs o ON o.customer_id = d.customer_id AND o.bucket = d.bucket
    GROUP BY d.customer_id, d.bucket
    HAVING count(DISTINCT d.city) >= {{min_cities}} AND sum(d.amount_base) >= {{min_total}} AND max(o.out_total) >= {{out_ratio}} * sum(d.amount_base)
)
SELECT dep.customer_id, dep.txn_id FROM dep JOIN b ON dep.customer_id = b.customer_id AND dep.bucket = b.bucket
