WITH c AS (
    SELECT t.customer_id, t.txn_id, t.ts_epoch FROM txn t LEFT JOIN cust k ON k.customer_id = t.customer_id
    WHERE t.direction = 'out' AND t.channel IN ('msb_remittance', 'p2p', 'etransfer', 'wire')
      AND t.amount_base BETWEEN {{min_amount}} AND {{max_amount}}
      AND t.cp_country IN (SELECT country FROM ref_country WHERE grp = 'cse_destinations')
      AND t.cp_country <> coalesce(k.nationality, '') AND t.cp_country <> coalesce(k.residence_country, '')
), w AS (
    SELECT customer_id, txn_id, ts_epoch,
           count(*) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN {{window_days}} * 86400 PRECEDING AND CURRENT ROW) AS n
    FROM c
), e AS (
    SELECT customer_id, txn_id,
           max(CASE WHEN n >= {{min_count}} THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN CURRENT ROW AND {{window_days}} * 86400 FOLLOWING) AS hit
    FROM w
)
SELECT customer_id, txn_id FROM e WHERE hit = 1
