WITH t AS (
    SELECT t.customer_id, t.txn_id, t.channel, t.amount_base, floor(t.ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn t JOIN cust c ON c.customer_id = t.customer_id
    WHERE c.customer_type = 'business' AND t.direction = 'in'
), b AS (
    SELECT customer_id, bucket FROM t GROUP BY customer_id, bucket
    HAVING sum(amount_base) >= {{min_credits}}
       AND sum(CASE WHEN channel IN ('cash_branch', 'cash_atm') THEN amount_base ELSE 0 END) > {{cash_share}} * sum(amount_base)
       AND sum(CASE WHEN channel IN ('card_pos', 'card_cnp', 'ach') THEN 1 ELSE 0 END) = 0
)
SELECT t.customer_id, t.txn_id FROM t JOIN b ON t.customer_id = b.customer_id AND t.bucket = b.bucket
WHERE t.channel IN ('cash_branch', 'cash_atm')
