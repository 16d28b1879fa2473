WITH t AS (
    SELECT t.customer_id, t.txn_id, t.direction, t.amount_base, floor(t.ts_epoch / ({{window_days}} * 86400)) AS bucket,
           CASE WHEN t.direction = 'out' AND (t.purpose_code IN ('SALA', 'TAXS', 'SSBE', 'PENS')
                     OR t.mcc IN (SELECT mcc FROM ref_mcc WHERE grp = 'tax_payments')
                     OR t.cp_name IN (SELECT name FROM merchant_grp WHERE grp = 'payroll_tax')
                     OR t.memo IN (SELECT memo FROM memo_grp WHERE grp IN ('salary', 'payroll_tax')))
                THEN 1 ELSE 0 END AS payroll
    FROM txn t JOIN cust c ON c.customer_id = t.customer_id
    WHERE c.customer_type = 'business'
), b AS (
    SELECT customer_id, bucket FROM t GROUP BY customer_id, bucket
    HAVING sum(CASE WHEN direction = 'in' THEN amount_base ELSE 0 END) >= {{min_credits}}
       AND sum(CASE WHEN payroll = 1 THEN amount_base ELSE 0 END)
           < {{max_payroll_share}} * sum(CASE WHEN direction = 'in' THEN amount_base ELSE 0 END)
)
SELECT t.customer_id, t.txn_id FROM t JOIN b ON t.customer_id = b.customer_id AND t.bucket = b.bucket
WHERE t.direction = 'in'
