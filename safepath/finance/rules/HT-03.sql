WITH c AS (
    SELECT customer_id, txn_id, ts_epoch, coalesce(passenger_count, 1) AS pax FROM txn
    WHERE direction = 'out' AND mcc IN (SELECT mcc FROM ref_mcc WHERE grp = 'travel_tickets')
), w AS (
    SELECT customer_id, txn_id, ts_epoch, pax,
           count(*) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN {{window_days}} * 86400 PRECEDING AND CURRENT ROW) AS n
    FROM c
), e AS (
    SELECT customer_id, txn_id, pax,
           max(CASE WHEN n >= {{min_count}} THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN CURRENT ROW AND {{window_days}} * 86400 FOLLOWING) AS hit
    FROM w
)
SELECT customer_id, txn_id FROM e WHERE hit = 1 OR pax > 1
