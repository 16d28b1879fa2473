WITH c AS (
    SELECT customer_id, txn_id, coalesce(cp_account, cp_name) AS beneficiary,
           floor(ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn t
    WHERE direction = 'out' AND channel IN ('msb_remittance', 'p2p', 'etransfer', 'wire')
      AND cp_country IN (SELECT country FROM ref_country WHERE grp = 'cse_destinations')
      -- no visible family link (Project Shadow): not the customer's nationality or residence
      AND NOT EXISTS (SELECT 1 FROM cust k WHERE k.customer_id = t.customer_id
                      AND t.cp_country IN (k.nationality, k.residence_country))
), b AS (
    SELECT customer_id, bucket FROM c GROUP BY customer_id, bucket
    HAVING count(DISTINCT beneficiary) >= {{min_beneficiaries}}
)
SELECT c.customer_id, c.txn_id FROM c JOIN b ON c.customer_id = b.customer_id AND c.bucket = b.bucket
