-- Tables for bench/shapes.py's other shapes of sales data (bytes per row on any data, #16).
CREATE TABLE IF NOT EXISTS sales_catalog (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sale_date DATE NOT NULL,
  store VARCHAR(40) NOT NULL,
  product VARCHAR(200) NOT NULL,
  qty INT NOT NULL,
  price DECIMAL(14,4) NOT NULL,
  discount DECIMAL(7,4) NULL,
  amount DECIMAL(18,4) NOT NULL,
  vat DECIMAL(20,6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS sales_notes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sold_at DATETIME NOT NULL,
  customer VARCHAR(80) NULL,
  note TEXT NULL,
  card VARCHAR(20) NULL,
  grams INT NOT NULL,
  price_per_kg DECIMAL(8,2) NOT NULL,
  total DECIMAL(12,2) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
