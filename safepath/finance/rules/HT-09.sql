WITH c AS (
    SELECT customer_id, txn_id, coalesce(cp_account, cp_name) AS sender,
           floor(ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn
    WHERE direction = 'in' AND channel IN ('p2p', 'etransfer')
      AND amount_base BETWEEN {{min_amount}} AND {{max_amount}}
), b AS (
    SELECT customer_id, bucket FROM c GROUP BY customer_id, bucket
    HAVING count(DISTINCT sender) >= {{min_senders}}
)
SELECT c.customer_id, c.txn_id FROM c JOIN b ON c.customer_id = b.customer_id AND c.bucket = b.bucket
