WITH c AS (
    SELECT customer_id, txn_id, terminal_id, floor(ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn
    WHERE direction = 'in' AND channel IN ('cash_atm', 'cash_branch')
      AND (local_hour >= {{night_start}} OR local_hour < {{night_end}})
), b AS (
    SELECT customer_id, bucket FROM c GROUP BY customer_id, bucket
    HAVING count(*) >= {{min_count}} AND count(DISTINCT terminal_id) >= {{min_terminals}}
)
SELECT c.customer_id, c.txn_id FROM c JOIN b ON c.customer_id = b.customer_id AND c.bucket = b.bucket
