-- Research s1.7 GEN-02: a new account is an amplifier, never an indicator on its own (weight 15).
WITH first_seen AS (SELECT customer_id, min(ts_epoch) AS first_ts FROM txn GROUP BY customer_id)
SELECT k.customer_id, CAST(NULL AS VARCHAR) AS txn_id
FROM cust k JOIN first_seen f ON f.customer_id = k.customer_id
WHERE k.open_date IS NOT NULL
  AND f.first_ts - epoch(CAST(k.open_date AS TIMESTAMP)) < {{new_days}} * 86400
