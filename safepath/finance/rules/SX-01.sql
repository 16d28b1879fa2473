WITH firsts AS (
    SELECT customer_id, coalesce(cp_account, cp_name) AS payee, min(ts_epoch) AS first_ts FROM txn
    WHERE direction = 'out' GROUP BY customer_id, coalesce(cp_account, cp_name)
), c AS (
    SELECT t.customer_id, t.txn_id, t.ts_epoch,
           CASE WHEN t.cp_country IN (SELECT country FROM ref_country WHERE grp = 'sextortion_concern') THEN 1 ELSE 0 END AS concern
    FROM txn t JOIN firsts f ON f.customer_id = t.customer_id AND f.payee = coalesce(t.cp_account, t.cp_name)
    WHERE t.direction = 'out' AND t.ts_epoch = f.first_ts
      AND (t.channel IN ('p2p', 'prepaid_load', 'crypto')
           OR t.merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'prepaid_issuers'))
), w AS (
    SELECT customer_id, txn_id, ts_epoch, concern,
           count(*) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN {{hours}} * 3600 PRECEDING AND CURRENT ROW) AS n,
           sum(concern) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN {{hours}} * 3600 PRECEDING AND CURRENT ROW) AS k
    FROM c
), e AS (
    SELECT customer_id, txn_id,
           max(CASE WHEN n >= {{min_count}} AND k >= 1 THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN CURRENT ROW AND {{hours}} * 3600 FOLLOWING) AS hit
    FROM w
)
SELECT customer_id, txn_id FROM e WHERE hit = 1
