WITH t AS (
    SELECT t.customer_id, t.txn_id, t.direction, t.channel, t.amount_base, t.cp_country,
           coalesce(t.cp_account, t.cp_name) AS cp, k.residence_country,
           floor(t.ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn t LEFT JOIN cust k ON k.customer_id = t.customer_id
), credits AS (
    SELECT * FROM t WHERE direction = 'in' AND channel IN ('p2p', 'etransfer') AND amount_base <= {{max_amount}}
), forwarded AS (
    SELECT * FROM t WHERE direction = 'out'
      AND (channel IN ('crypto', 'prepaid_load') OR cp_country <> coalesce(residence_country, cp_country))
), b AS (
    SELECT c.customer_id, c.bucket FROM credits c
    JOIN (SELECT customer_id, bucket, sum(amount_base) AS out_total FROM forwarded GROUP BY customer_id, bucket) f
      ON f.customer_id = c.customer_id AND f.bucket = c.bucket
    GROUP BY c.customer_id, c.bucket
    HAVING count(DISTINCT c.cp) >= {{min_senders}} AND max(f.out_total) >= {{out_ratio}} * sum(c.amount_base)
)
SELECT x.customer_id, x.txn_id FROM (SELECT customer_id, txn_id, bucket FROM credits UNION ALL SELECT customer_id, txn_id, bucket FROM forwarded) x
JOIN b ON b.customer_id = x.customer_id AND b.bucket = x.bucket
