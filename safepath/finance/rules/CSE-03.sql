WITH c AS (
    SELECT customer_id, txn_id, cp_account, floor(ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn
    WHERE direction = 'out' AND channel IN ('msb_remittance', 'p2p', 'etransfer', 'wire') AND cp_account IS NOT NULL
      AND amount_base <= {{max_amount}}
      AND cp_country IN (SELECT country FROM ref_country WHERE grp = 'cse_destinations')
), hubs AS (
    SELECT cp_account, bucket FROM c GROUP BY cp_account, bucket
    HAVING count(DISTINCT customer_id) >= {{min_senders}}
)
SELECT c.customer_id, c.txn_id FROM c JOIN hubs h ON h.cp_account = c.cp_account AND h.bucket = c.bucket
