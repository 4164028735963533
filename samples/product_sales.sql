-- The lab's product_sales table as a branch holds it (Date, Region, Product, Qty, Cost, Amt, Tax, Total).
CREATE TABLE IF NOT EXISTS product_sales (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sale_date DATE NOT NULL,
  region VARCHAR(32) NOT NULL,
  product VARCHAR(64) NOT NULL,
  qty INT NOT NULL,
  cost DECIMAL(12,2) NOT NULL,
  amt DECIMAL(14,2) NOT NULL,
  tax DECIMAL(12,2) NOT NULL,
  total DECIMAL(14,2) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
