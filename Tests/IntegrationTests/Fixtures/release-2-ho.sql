/*M!999999\- enable the sandbox mode */ 
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `product_sales` (
  `branch_id` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `id` bigint(20) unsigned NOT NULL,
  `sale_date` date NOT NULL,
  `region` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,
  `product` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,
  `qty` int(11) NOT NULL,
  `cost` decimal(12,2) NOT NULL,
  `amt` decimal(14,2) NOT NULL,
  `tax` decimal(12,2) NOT NULL,
  `total` decimal(14,2) NOT NULL,
  PRIMARY KEY (`branch_id`,`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `product_sales` VALUES ('fxb1',1,'2026-11-02','North','P1',3,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',2,'2026-11-03','North','P2',4,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',3,'2026-11-04','North','P3',5,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',4,'2026-11-05','North','P4',6,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',5,'2026-11-06','North','P5',2,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',6,'2026-11-07','North','P6',3,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',7,'2026-11-08','North','P7',4,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',8,'2026-11-09','North','P8',5,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',9,'2026-11-10','North','P9',6,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',10,'2026-11-11','North','P10',2,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',11,'2026-11-12','North','P11',3,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',12,'2026-11-13','North','P12',4,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',13,'2026-11-14','North','P13',5,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',14,'2026-11-15','North','P14',6,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',15,'2026-11-16','North','P15',2,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',16,'2026-11-17','North','P16',3,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',17,'2026-11-18','North','P0',4,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',18,'2026-11-19','North','P1',5,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',19,'2026-11-20','North','P2',6,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',20,'2026-11-21','North','P3',2,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',21,'2026-11-22','North','P4',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',22,'2026-11-23','North','P5',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',23,'2026-11-24','North','P6',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',24,'2026-11-25','North','P7',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',25,'2026-11-26','North','P8',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',26,'2026-11-27','North','P9',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',27,'2026-11-28','North','P10',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',28,'2026-11-29','North','P11',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',29,'2026-11-30','North','P12',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',30,'2026-11-01','North','P13',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',31,'2026-11-02','North','P14',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',32,'2026-11-03','North','P15',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',33,'2026-11-04','North','P16',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',34,'2026-11-05','North','P0',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',35,'2026-11-06','North','P1',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',36,'2026-11-07','North','P2',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',37,'2026-11-08','North','P3',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',38,'2026-11-09','North','P4',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',39,'2026-11-10','North','P5',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',40,'2026-11-11','North','P6',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',41,'2026-11-12','North','P7',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',42,'2026-11-13','North','P8',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',43,'2026-11-14','North','P9',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',44,'2026-11-15','North','P10',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',45,'2026-11-16','North','P11',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',46,'2026-11-17','North','P12',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',47,'2026-11-18','North','P13',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',48,'2026-11-19','North','P14',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',49,'2026-11-20','North','P15',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',50,'2026-11-21','North','P16',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',51,'2026-11-22','North','P0',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',52,'2026-11-23','North','P1',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',53,'2026-11-24','North','P2',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',54,'2026-11-25','North','P3',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',55,'2026-11-26','North','P4',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',56,'2026-11-27','North','P5',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',57,'2026-11-28','North','P6',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',58,'2026-11-29','North','P7',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',59,'2026-11-30','North','P8',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',60,'2026-11-01','North','P9',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',61,'2026-11-02','North','P10',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',62,'2026-11-03','North','P11',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',63,'2026-11-04','North','P12',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',64,'2026-11-05','North','P13',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',65,'2026-11-06','North','P14',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',66,'2026-11-07','North','P15',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',67,'2026-11-08','North','P16',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',68,'2026-11-09','North','P0',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',69,'2026-11-10','North','P1',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',70,'2026-11-11','North','P2',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',71,'2026-11-12','North','P3',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',72,'2026-11-13','North','P4',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',73,'2026-11-14','North','P5',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',74,'2026-11-15','North','P6',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',75,'2026-11-16','North','P7',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',76,'2026-11-17','North','P8',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',77,'2026-11-18','North','P9',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',78,'2026-11-19','North','P10',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',79,'2026-11-20','North','P11',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',80,'2026-11-21','North','P12',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',81,'2026-11-22','North','P13',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',82,'2026-11-23','North','P14',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',83,'2026-11-24','North','P15',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',84,'2026-11-25','North','P16',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',85,'2026-11-26','North','P0',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',86,'2026-11-27','North','P1',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',87,'2026-11-28','North','P2',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',88,'2026-11-29','North','P3',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',89,'2026-11-30','North','P4',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',90,'2026-11-01','North','P5',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',91,'2026-11-02','North','P6',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',92,'2026-11-03','North','P7',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',93,'2026-11-04','North','P8',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',94,'2026-11-05','North','P9',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',95,'2026-11-06','North','P10',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',96,'2026-11-07','North','P11',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',97,'2026-11-08','North','P12',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',98,'2026-11-09','North','P13',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',99,'2026-11-10','North','P14',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',100,'2026-11-11','North','P15',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',101,'2026-11-12','North','P16',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',102,'2026-11-13','North','P0',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',103,'2026-11-14','North','P1',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',104,'2026-11-15','North','P2',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',105,'2026-11-16','North','P3',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',106,'2026-11-17','North','P4',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',107,'2026-11-18','North','P5',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',108,'2026-11-19','North','P6',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',109,'2026-11-20','North','P7',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',110,'2026-11-21','North','P8',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',111,'2026-11-22','North','P9',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',112,'2026-11-23','North','P10',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',113,'2026-11-24','North','P11',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',114,'2026-11-25','North','P12',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',115,'2026-11-26','North','P13',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',116,'2026-11-27','North','P14',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',117,'2026-11-28','North','P15',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',118,'2026-11-29','North','P16',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',119,'2026-11-30','North','P0',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',120,'2026-11-01','North','P1',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',121,'2026-11-02','North','P2',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',122,'2026-11-03','North','P3',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',123,'2026-11-04','North','P4',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',124,'2026-11-05','North','P5',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',125,'2026-11-06','North','P6',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',126,'2026-11-07','North','P7',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',127,'2026-11-08','North','P8',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',128,'2026-11-09','North','P9',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',129,'2026-11-10','North','P10',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',130,'2026-11-11','North','P11',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',131,'2026-11-12','North','P12',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',132,'2026-11-13','North','P13',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',133,'2026-11-14','North','P14',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',134,'2026-11-15','North','P15',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',135,'2026-11-16','North','P16',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',136,'2026-11-17','North','P0',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',137,'2026-11-18','North','P1',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',138,'2026-11-19','North','P2',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',139,'2026-11-20','North','P3',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',140,'2026-11-21','North','P4',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',141,'2026-11-22','North','P5',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',142,'2026-11-23','North','P6',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',143,'2026-11-24','North','P7',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',144,'2026-11-25','North','P8',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',145,'2026-11-26','North','P9',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',146,'2026-11-27','North','P10',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',147,'2026-11-28','North','P11',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',148,'2026-11-29','North','P12',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',149,'2026-11-30','North','P13',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',150,'2026-11-01','North','P14',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',151,'2026-11-02','North','P15',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',152,'2026-11-03','North','P16',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',153,'2026-11-04','North','P0',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',154,'2026-11-05','North','P1',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',155,'2026-11-06','North','P2',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',156,'2026-11-07','North','P3',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',157,'2026-11-08','North','P4',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',158,'2026-11-09','North','P5',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',159,'2026-11-10','North','P6',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',160,'2026-11-11','North','P7',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',161,'2026-11-12','North','P8',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',162,'2026-11-13','North','P9',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',163,'2026-11-14','North','P10',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',164,'2026-11-15','North','P11',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',165,'2026-11-16','North','P12',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',166,'2026-11-17','North','P13',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',167,'2026-11-18','North','P14',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',168,'2026-11-19','North','P15',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',169,'2026-11-20','North','P16',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',170,'2026-11-21','North','P0',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',171,'2026-11-22','North','P1',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',172,'2026-11-23','North','P2',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',173,'2026-11-24','North','P3',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',174,'2026-11-25','North','P4',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',175,'2026-11-26','North','P5',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',176,'2026-11-27','North','P6',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',177,'2026-11-28','North','P7',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',178,'2026-11-29','North','P8',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',179,'2026-11-30','North','P9',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',180,'2026-11-01','North','P10',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',181,'2026-11-02','North','P11',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',182,'2026-11-03','North','P12',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',183,'2026-11-04','North','P13',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',184,'2026-11-05','North','P14',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',185,'2026-11-06','North','P15',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',186,'2026-11-07','North','P16',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',187,'2026-11-08','North','P0',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',188,'2026-11-09','North','P1',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',189,'2026-11-10','North','P2',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',190,'2026-11-11','North','P3',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',191,'2026-11-12','North','P4',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',192,'2026-11-13','North','P5',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',193,'2026-11-14','North','P6',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',194,'2026-11-15','North','P7',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',195,'2026-11-16','North','P8',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',196,'2026-11-17','North','P9',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',197,'2026-11-18','North','P10',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',198,'2026-11-19','North','P11',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',199,'2026-11-20','North','P12',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',200,'2026-11-21','North','P13',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',201,'2026-11-22','North','P14',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',202,'2026-11-23','North','P15',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',203,'2026-11-24','North','P16',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',204,'2026-11-25','North','P0',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',205,'2026-11-26','North','P1',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',206,'2026-11-27','North','P2',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',207,'2026-11-28','North','P3',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',208,'2026-11-29','North','P4',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',209,'2026-11-30','North','P5',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',210,'2026-11-01','North','P6',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',211,'2026-11-02','North','P7',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',212,'2026-11-03','North','P8',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',213,'2026-11-04','North','P9',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',214,'2026-11-05','North','P10',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',215,'2026-11-06','North','P11',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',216,'2026-11-07','North','P12',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',217,'2026-11-08','North','P13',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',218,'2026-11-09','North','P14',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',219,'2026-11-10','North','P15',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',220,'2026-11-11','North','P16',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',221,'2026-11-12','North','P0',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',222,'2026-11-13','North','P1',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',223,'2026-11-14','North','P2',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',224,'2026-11-15','North','P3',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',225,'2026-11-16','North','P4',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',226,'2026-11-17','North','P5',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',227,'2026-11-18','North','P6',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',228,'2026-11-19','North','P7',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',229,'2026-11-20','North','P8',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',230,'2026-11-21','North','P9',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',231,'2026-11-22','North','P10',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',232,'2026-11-23','North','P11',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',233,'2026-11-24','North','P12',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',234,'2026-11-25','North','P13',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',235,'2026-11-26','North','P14',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',236,'2026-11-27','North','P15',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',237,'2026-11-28','North','P16',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',238,'2026-11-29','North','P0',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',239,'2026-11-30','North','P1',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',240,'2026-11-01','North','P2',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',241,'2026-11-02','North','P3',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',242,'2026-11-03','North','P4',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',243,'2026-11-04','North','P5',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',244,'2026-11-05','North','P6',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',245,'2026-11-06','North','P7',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',246,'2026-11-07','North','P8',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',247,'2026-11-08','North','P9',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',248,'2026-11-09','North','P10',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',249,'2026-11-10','North','P11',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',250,'2026-11-11','North','P12',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',251,'2026-11-12','North','P13',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',252,'2026-11-13','North','P14',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',253,'2026-11-14','North','P15',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',254,'2026-11-15','North','P16',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',255,'2026-11-16','North','P0',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',256,'2026-11-17','North','P1',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',257,'2026-11-18','North','P2',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',258,'2026-11-19','North','P3',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',259,'2026-11-20','North','P4',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',260,'2026-11-21','North','P5',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',261,'2026-11-22','North','P6',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',262,'2026-11-23','North','P7',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',263,'2026-11-24','North','P8',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',264,'2026-11-25','North','P9',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',265,'2026-11-26','North','P10',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',266,'2026-11-27','North','P11',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',267,'2026-11-28','North','P12',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',268,'2026-11-29','North','P13',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',269,'2026-11-30','North','P14',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',270,'2026-11-01','North','P15',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',271,'2026-11-02','North','P16',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',272,'2026-11-03','North','P0',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',273,'2026-11-04','North','P1',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',274,'2026-11-05','North','P2',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',275,'2026-11-06','North','P3',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',276,'2026-11-07','North','P4',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',277,'2026-11-08','North','P5',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',278,'2026-11-09','North','P6',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',279,'2026-11-10','North','P7',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',280,'2026-11-11','North','P8',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',281,'2026-11-12','North','P9',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',282,'2026-11-13','North','P10',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',283,'2026-11-14','North','P11',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',284,'2026-11-15','North','P12',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',285,'2026-11-16','North','P13',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES ('fxb1',286,'2026-11-17','North','P14',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES ('fxb1',287,'2026-11-18','North','P15',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES ('fxb1',288,'2026-11-19','North','P16',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES ('fxb1',289,'2026-11-20','North','P0',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES ('fxb1',290,'2026-11-21','North','P1',1,2.50,2.50,0.50,3.00);
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_general_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017*/ /*!50003 TRIGGER `salesync_ho_25908f63875f_au` AFTER UPDATE ON `product_sales` FOR EACH ROW BEGIN IF @salesync_branch IS NULL THEN INSERT INTO salesync_table_state (branch_id, table_name, state_rows, state_hash) VALUES (OLD.branch_id, 'product_sales', -1, CAST((18446744073709551616 - CAST(CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(OLD.`id`), QUOTE(OLD.`sale_date`), QUOTE(OLD.`region`), QUOTE(OLD.`product`), QUOTE(OLD.`qty`), QUOTE(OLD.`cost`), QUOTE(OLD.`amt`), QUOTE(OLD.`tax`), QUOTE(OLD.`total`))), 16), 16, 10) AS UNSIGNED) AS DECIMAL(21,0))) MOD 18446744073709551616 AS UNSIGNED)) ON DUPLICATE KEY UPDATE state_rows = state_rows + -1, state_hash = CAST((CAST(state_hash AS DECIMAL(21,0)) + 18446744073709551616 - CAST(CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(OLD.`id`), QUOTE(OLD.`sale_date`), QUOTE(OLD.`region`), QUOTE(OLD.`product`), QUOTE(OLD.`qty`), QUOTE(OLD.`cost`), QUOTE(OLD.`amt`), QUOTE(OLD.`tax`), QUOTE(OLD.`total`))), 16), 16, 10) AS UNSIGNED) AS DECIMAL(21,0))) MOD 18446744073709551616 AS UNSIGNED); INSERT INTO salesync_table_state (branch_id, table_name, state_rows, state_hash) VALUES (NEW.branch_id, 'product_sales', 1, CAST((18446744073709551616 + CAST(CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(NEW.`id`), QUOTE(NEW.`sale_date`), QUOTE(NEW.`region`), QUOTE(NEW.`product`), QUOTE(NEW.`qty`), QUOTE(NEW.`cost`), QUOTE(NEW.`amt`), QUOTE(NEW.`tax`), QUOTE(NEW.`total`))), 16), 16, 10) AS UNSIGNED) AS DECIMAL(21,0))) MOD 18446744073709551616 AS UNSIGNED)) ON DUPLICATE KEY UPDATE state_rows = state_rows + 1, state_hash = CAST((CAST(state_hash AS DECIMAL(21,0)) + 18446744073709551616 + CAST(CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(NEW.`id`), QUOTE(NEW.`sale_date`), QUOTE(NEW.`region`), QUOTE(NEW.`product`), QUOTE(NEW.`qty`), QUOTE(NEW.`cost`), QUOTE(NEW.`amt`), QUOTE(NEW.`tax`), QUOTE(NEW.`total`))), 16), 16, 10) AS UNSIGNED) AS DECIMAL(21,0))) MOD 18446744073709551616 AS UNSIGNED); END IF; END 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_general_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017*/ /*!50003 TRIGGER `salesync_ho_25908f63875f_ad` AFTER DELETE ON `product_sales` FOR EACH ROW BEGIN IF @salesync_branch IS NULL THEN INSERT INTO salesync_table_state (branch_id, table_name, state_rows, state_hash) VALUES (OLD.branch_id, 'product_sales', -1, CAST((18446744073709551616 - CAST(CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(OLD.`id`), QUOTE(OLD.`sale_date`), QUOTE(OLD.`region`), QUOTE(OLD.`product`), QUOTE(OLD.`qty`), QUOTE(OLD.`cost`), QUOTE(OLD.`amt`), QUOTE(OLD.`tax`), QUOTE(OLD.`total`))), 16), 16, 10) AS UNSIGNED) AS DECIMAL(21,0))) MOD 18446744073709551616 AS UNSIGNED)) ON DUPLICATE KEY UPDATE state_rows = state_rows + -1, state_hash = CAST((CAST(state_hash AS DECIMAL(21,0)) + 18446744073709551616 - CAST(CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(OLD.`id`), QUOTE(OLD.`sale_date`), QUOTE(OLD.`region`), QUOTE(OLD.`product`), QUOTE(OLD.`qty`), QUOTE(OLD.`cost`), QUOTE(OLD.`amt`), QUOTE(OLD.`tax`), QUOTE(OLD.`total`))), 16), 16, 10) AS UNSIGNED) AS DECIMAL(21,0))) MOD 18446744073709551616 AS UNSIGNED); END IF; END 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_applied` (
  `branch_id` varchar(64) NOT NULL,
  `seq` bigint(20) unsigned NOT NULL,
  `sha256` char(64) NOT NULL,
  `row_count` bigint(20) unsigned NOT NULL,
  `applied_at` datetime(6) NOT NULL,
  `verdict` varchar(16) NOT NULL,
  `bytes` bigint(20) unsigned DEFAULT NULL,
  `received_at` datetime(6) DEFAULT NULL,
  PRIMARY KEY (`branch_id`,`seq`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_applied` VALUES ('fxb1',1,'e2d866d0fd554468296e918cbd16608dc363ad76d19f4a65fb7dec96f8709078',300,'2026-12-04 19:04:26.309933','match',1700,'2026-12-04 19:04:26.269025');
INSERT INTO `salesync_applied` VALUES ('fxb1',2,'e0a9667f8b539d38f5b63693352cc0f137e585feb00703c105d7a639f3e654b8',30,'2026-12-04 19:04:36.586168','match',1656,'2026-12-04 19:04:36.557179');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_branches` (
  `branch_id` varchar(64) NOT NULL,
  `last_seq` bigint(20) unsigned NOT NULL DEFAULT 0,
  `last_applied_at` datetime(6) DEFAULT NULL,
  `last_created` varchar(40) DEFAULT NULL,
  `verdict` varchar(16) NOT NULL DEFAULT 'unchecked',
  PRIMARY KEY (`branch_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_branches` VALUES ('fxb1',2,'2026-12-04 19:04:36.587253','2026-12-04T19:04:26.455074Z','match');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_inbox` (
  `branch_id` varchar(64) NOT NULL,
  `seq` bigint(20) unsigned NOT NULL,
  `sha256` char(64) NOT NULL,
  `chunk_count` int(10) unsigned NOT NULL,
  `chunk_index` int(10) unsigned NOT NULL,
  `bundle_size` bigint(20) unsigned NOT NULL,
  `payload` longblob NOT NULL,
  `received_at` datetime(6) NOT NULL,
  PRIMARY KEY (`branch_id`,`seq`,`sha256`,`chunk_count`,`chunk_index`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_outbound_acks` (
  `branch_id` varchar(64) NOT NULL,
  `seq` bigint(20) unsigned NOT NULL,
  `status` varchar(16) NOT NULL,
  `body` blob NOT NULL,
  `created_at` datetime(6) NOT NULL,
  `sent_at` datetime(6) DEFAULT NULL,
  PRIMARY KEY (`branch_id`,`seq`,`status`),
  KEY `unsent_idx` (`sent_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_outbound_acks` VALUES ('fxb1',1,'applied',0x7B226272616E6368223A2266786231222C2264657461696C223A22222C22726F7773223A3330302C2273657175656E6365223A312C22736861323536223A2265326438363664306664353534343638323936653931386362643136363038646333363361643736643139663461363566623764656339366638373039303738222C22737461747573223A226170706C696564222C2276657264696374223A226D61746368227D,'2026-12-04 19:04:26.313280','2026-12-04 19:04:26.317888');
INSERT INTO `salesync_outbound_acks` VALUES ('fxb1',2,'applied',0x7B226272616E6368223A2266786231222C2264657461696C223A22222C22726F7773223A33302C2273657175656E6365223A322C22736861323536223A2265306139363637663862353339643338663562363336393333353263633066313337653538356665623030373033633130356437613633396633653635346238222C22737461747573223A226170706C696564222C2276657264696374223A226D61746368227D,'2026-12-04 19:04:36.588710','2026-12-04 19:04:36.593370');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_quarantine` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `branch_id` varchar(64) NOT NULL,
  `seq` bigint(20) unsigned DEFAULT NULL,
  `sha256` char(64) DEFAULT NULL,
  `file` varchar(512) NOT NULL,
  `reason` text NOT NULL,
  `created_at` datetime(6) NOT NULL,
  `status` varchar(16) NOT NULL DEFAULT 'open',
  `decided_by` varchar(64) DEFAULT NULL,
  `decided_at` datetime(6) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_quarantine` VALUES (1,'unknown',NULL,NULL,'unknown-unknown-1796411076739.ssb','usb/fxb1-00000000000000000099.ssb: not a salesync bundle (bad magic; expected \"SALESYNC\")','2026-12-04 19:04:36.740278','open',NULL,NULL);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_schema` (
  `role` varchar(16) NOT NULL,
  `version` int(11) NOT NULL,
  `installed_at` datetime(6) NOT NULL,
  PRIMARY KEY (`role`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_schema` VALUES ('head-office',2,'2026-12-04 19:04:26.091482');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_schema_holds` (
  `branch_id` varchar(64) NOT NULL,
  `table_name` varchar(64) NOT NULL,
  `fingerprint` char(64) NOT NULL,
  `seq` bigint(20) unsigned NOT NULL,
  `detail` text NOT NULL,
  `columns_json` mediumtext NOT NULL,
  `held_at` datetime(6) NOT NULL,
  `accepted_by` varchar(64) DEFAULT NULL,
  `accepted_at` datetime(6) DEFAULT NULL,
  PRIMARY KEY (`branch_id`,`table_name`,`fingerprint`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_table_state` (
  `branch_id` varchar(64) NOT NULL,
  `table_name` varchar(64) NOT NULL,
  `state_rows` bigint(20) NOT NULL DEFAULT 0,
  `state_hash` bigint(20) unsigned NOT NULL DEFAULT 0,
  `branch_rows` bigint(20) DEFAULT NULL,
  `branch_hash` bigint(20) unsigned DEFAULT NULL,
  `fingerprint` char(64) DEFAULT NULL,
  `columns_json` mediumtext DEFAULT NULL,
  PRIMARY KEY (`branch_id`,`table_name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_table_state` VALUES ('fxb1','product_sales',290,9872717879541097489,290,9872717879541097489,'f1983fb8314089c06fc90ba02feb5c07bb267564ded25acbd085495f8656205d','[{\"nullable\":false,\"kind\":\"integer\",\"name\":\"id\",\"type\":\"bigint(20) unsigned\",\"unsigned\":true,\"scale\":0,\"key\":1},{\"nullable\":false,\"kind\":\"date\",\"name\":\"sale_date\",\"type\":\"date\",\"unsigned\":false,\"scale\":0,\"key\":0},{\"nullable\":false,\"collation\":\"utf8mb4_general_ci\",\"kind\":\"bytes\",\"charset\":\"utf8mb4\",\"name\":\"region\",\"type\":\"varchar(32)\",\"unsigned\":false,\"scale\":0,\"key\":0},{\"nullable\":false,\"collation\":\"utf8mb4_general_ci\",\"kind\":\"bytes\",\"charset\":\"utf8mb4\",\"name\":\"product\",\"type\":\"varchar(64)\",\"unsigned\":false,\"scale\":0,\"key\":0},{\"nullable\":false,\"kind\":\"integer\",\"name\":\"qty\",\"type\":\"int(11)\",\"unsigned\":false,\"scale\":0,\"key\":0},{\"nullable\":false,\"kind\":\"decimal\",\"name\":\"cost\",\"type\":\"decimal(12,2)\",\"unsigned\":false,\"scale\":2,\"key\":0},{\"nullable\":false,\"kind\":\"decimal\",\"name\":\"amt\",\"type\":\"decimal(14,2)\",\"unsigned\":false,\"scale\":2,\"key\":0},{\"nullable\":false,\"kind\":\"decimal\",\"name\":\"tax\",\"type\":\"decimal(12,2)\",\"unsigned\":false,\"scale\":2,\"key\":0},{\"nullable\":false,\"kind\":\"decimal\",\"name\":\"total\",\"type\":\"decimal(14,2)\",\"unsigned\":false,\"scale\":2,\"key\":0}]');
