-- A payee is new while the customer's first payment to it is less than {{hours}} old, so a
-- series of payments to one new recipient counts (FIN-2025-NTC2: "a series of P2P payments in
-- a short time to a recipient in a jurisdiction of concern"), not only the first one.
WITH payee AS (
    SELECT customer_id, txn_id, ts_epoch, channel, mcc, merchant_name, cp_country,
           coalesce(cp_account, cp_name, merchant_name, mcc) AS who
    FROM txn WHERE direction = 'out'
), firsts AS (
    SELECT customer_id, who, min(ts_epoch) AS first_ts FROM payee GROUP BY customer_id, who
), c AS (
    SELECT p.customer_id, p.txn_id, p.ts_epoch,
           CASE WHEN p.cp_country IN (SELECT country FROM ref_country WHERE grp = 'sextortion_concern')
                     AND p.cp_country <> coalesce(k.nationality, '') THEN 1 ELSE 0 END AS concern
    FROM payee p JOIN firsts f ON f.customer_id = p.customer_id AND f.who = p.who
    LEFT JOIN cust k ON k.customer_id = p.customer_id
    WHERE p.ts_epoch < f.first_ts + {{hours}} * 3600
      AND (p.channel IN ('p2p', 'etransfer', 'prepaid_load', 'crypto')
           OR p.mcc IN (SELECT mcc FROM ref_mcc WHERE grp IN ('prepaid', 'gift_cards', 'crypto'))
           OR p.merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'prepaid_issuers'))
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
