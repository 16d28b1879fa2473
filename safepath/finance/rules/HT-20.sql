WITH c AS (
    SELECT customer_id, txn_id, lower(memo) AS ref, floor(ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn
    WHERE direction = 'in' AND channel IN ('ach', 'wire', 'cheque')
      AND (purpose_code = 'SALA' OR memo IN (SELECT memo FROM memo_grp WHERE grp = 'salary'))
), b AS (
    SELECT customer_id, bucket FROM c GROUP BY customer_id, bucket
    HAVING count(DISTINCT ref) >= {{min_payees}}
)
SELECT c.customer_id, c.txn_id FROM c JOIN b ON c.customer_id = b.customer_id AND c.bucket = b.bucket
