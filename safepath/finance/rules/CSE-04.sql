WITH c AS (
    SELECT customer_id, txn_id, coalesce(cp_account, cp_name) AS beneficiary, amount_base,
           floor(ts_epoch / ({{month_days}} * 86400)) AS m
    FROM txn t
    WHERE direction = 'out' AND channel IN ('msb_remittance', 'p2p', 'etransfer', 'wire')
      AND cp_country IN (SELECT country FROM ref_country WHERE grp = 'cse_destinations')
      -- no visible family link (Project Shadow): not the customer's nationality or residence
      AND NOT EXISTS (SELECT 1 FROM cust k WHERE k.customer_id = t.customer_id
                      AND t.cp_country IN (k.nationality, k.residence_country))
), monthly AS (
    SELECT customer_id, beneficiary, m, sum(amount_base) AS total FROM c GROUP BY customer_id, beneficiary, m
), trend AS (
    SELECT customer_id, beneficiary, m, total,
           lag(total, 1) OVER (PARTITION BY customer_id, beneficiary ORDER BY m) AS p1,
           lag(total, 2) OVER (PARTITION BY customer_id, beneficiary ORDER BY m) AS p2,
           lag(m, 2) OVER (PARTITION BY customer_id, beneficiary ORDER BY m) AS m2
    FROM monthly
), hits AS (
    SELECT customer_id, beneficiary, m FROM trend
    WHERE m2 = m - 2 AND total > p1 AND p1 > p2 AND total >= {{ratio}} * (p1 + p2) / 2
)
SELECT DISTINCT c.customer_id, c.txn_id FROM c JOIN hits h
  ON c.customer_id = h.customer_id AND c.beneficiary = h.beneficiary AND c.m BETWEEN h.m - 2 AND h.m
