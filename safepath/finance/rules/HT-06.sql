WITH c AS (
    -- A business depositing its takings in a night safe after closing is ordinary banking;
    -- the indicator (FINTRAC 2016, research s1.5) is about personal accounts.
    SELECT t.customer_id, t.txn_id, t.terminal_id, floor(t.ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn t LEFT JOIN cust k ON k.customer_id = t.customer_id
    WHERE t.direction = 'in' AND t.channel IN ('cash_atm', 'cash_branch')
      AND coalesce(k.customer_type, 'individual') <> 'business'
      AND (t.local_hour >= {{night_start}} OR t.local_hour < {{night_end}})
), b AS (
    SELECT customer_id, bucket FROM c GROUP BY customer_id, bucket
    HAVING count(*) >= {{min_count}} AND count(DISTINCT terminal_id) >= {{min_terminals}}
)
SELECT c.customer_id, c.txn_id FROM c JOIN b ON c.customer_id = b.customer_id AND c.bucket = b.bucket
