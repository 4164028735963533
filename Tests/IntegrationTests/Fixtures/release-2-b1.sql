/*M!999999\- enable the sandbox mode */ 
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `product_sales` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `sale_date` date NOT NULL,
  `region` varchar(32) NOT NULL,
  `product` varchar(64) NOT NULL,
  `qty` int(11) NOT NULL,
  `cost` decimal(12,2) NOT NULL,
  `amt` decimal(14,2) NOT NULL,
  `tax` decimal(12,2) NOT NULL,
  `total` decimal(14,2) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=512 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `product_sales` VALUES (1,'2026-11-02','North','P1',3,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (2,'2026-11-03','North','P2',4,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (3,'2026-11-04','North','P3',5,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (4,'2026-11-05','North','P4',6,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (5,'2026-11-06','North','P5',2,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (6,'2026-11-07','North','P6',3,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (7,'2026-11-08','North','P7',4,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (8,'2026-11-09','North','P8',5,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (9,'2026-11-10','North','P9',6,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (10,'2026-11-11','North','P10',2,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (11,'2026-11-12','North','P11',3,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (12,'2026-11-13','North','P12',4,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (13,'2026-11-14','North','P13',5,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (14,'2026-11-15','North','P14',6,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (15,'2026-11-16','North','P15',2,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (16,'2026-11-17','North','P16',3,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (17,'2026-11-18','North','P0',4,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (18,'2026-11-19','North','P1',5,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (19,'2026-11-20','North','P2',6,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (20,'2026-11-21','North','P3',2,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (21,'2026-11-22','North','P4',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (22,'2026-11-23','North','P5',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (23,'2026-11-24','North','P6',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (24,'2026-11-25','North','P7',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (25,'2026-11-26','North','P8',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (26,'2026-11-27','North','P9',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (27,'2026-11-28','North','P10',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (28,'2026-11-29','North','P11',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (29,'2026-11-30','North','P12',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (30,'2026-11-01','North','P13',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (31,'2026-11-02','North','P14',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (32,'2026-11-03','North','P15',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (33,'2026-11-04','North','P16',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (34,'2026-11-05','North','P0',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (35,'2026-11-06','North','P1',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (36,'2026-11-07','North','P2',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (37,'2026-11-08','North','P3',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (38,'2026-11-09','North','P4',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (39,'2026-11-10','North','P5',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (40,'2026-11-11','North','P6',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (41,'2026-11-12','North','P7',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (42,'2026-11-13','North','P8',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (43,'2026-11-14','North','P9',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (44,'2026-11-15','North','P10',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (45,'2026-11-16','North','P11',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (46,'2026-11-17','North','P12',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (47,'2026-11-18','North','P13',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (48,'2026-11-19','North','P14',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (49,'2026-11-20','North','P15',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (50,'2026-11-21','North','P16',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (51,'2026-11-22','North','P0',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (52,'2026-11-23','North','P1',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (53,'2026-11-24','North','P2',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (54,'2026-11-25','North','P3',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (55,'2026-11-26','North','P4',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (56,'2026-11-27','North','P5',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (57,'2026-11-28','North','P6',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (58,'2026-11-29','North','P7',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (59,'2026-11-30','North','P8',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (60,'2026-11-01','North','P9',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (61,'2026-11-02','North','P10',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (62,'2026-11-03','North','P11',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (63,'2026-11-04','North','P12',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (64,'2026-11-05','North','P13',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (65,'2026-11-06','North','P14',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (66,'2026-11-07','North','P15',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (67,'2026-11-08','North','P16',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (68,'2026-11-09','North','P0',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (69,'2026-11-10','North','P1',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (70,'2026-11-11','North','P2',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (71,'2026-11-12','North','P3',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (72,'2026-11-13','North','P4',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (73,'2026-11-14','North','P5',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (74,'2026-11-15','North','P6',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (75,'2026-11-16','North','P7',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (76,'2026-11-17','North','P8',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (77,'2026-11-18','North','P9',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (78,'2026-11-19','North','P10',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (79,'2026-11-20','North','P11',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (80,'2026-11-21','North','P12',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (81,'2026-11-22','North','P13',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (82,'2026-11-23','North','P14',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (83,'2026-11-24','North','P15',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (84,'2026-11-25','North','P16',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (85,'2026-11-26','North','P0',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (86,'2026-11-27','North','P1',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (87,'2026-11-28','North','P2',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (88,'2026-11-29','North','P3',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (89,'2026-11-30','North','P4',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (90,'2026-11-01','North','P5',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (91,'2026-11-02','North','P6',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (92,'2026-11-03','North','P7',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (93,'2026-11-04','North','P8',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (94,'2026-11-05','North','P9',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (95,'2026-11-06','North','P10',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (96,'2026-11-07','North','P11',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (97,'2026-11-08','North','P12',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (98,'2026-11-09','North','P13',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (99,'2026-11-10','North','P14',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (100,'2026-11-11','North','P15',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (101,'2026-11-12','North','P16',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (102,'2026-11-13','North','P0',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (103,'2026-11-14','North','P1',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (104,'2026-11-15','North','P2',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (105,'2026-11-16','North','P3',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (106,'2026-11-17','North','P4',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (107,'2026-11-18','North','P5',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (108,'2026-11-19','North','P6',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (109,'2026-11-20','North','P7',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (110,'2026-11-21','North','P8',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (111,'2026-11-22','North','P9',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (112,'2026-11-23','North','P10',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (113,'2026-11-24','North','P11',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (114,'2026-11-25','North','P12',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (115,'2026-11-26','North','P13',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (116,'2026-11-27','North','P14',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (117,'2026-11-28','North','P15',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (118,'2026-11-29','North','P16',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (119,'2026-11-30','North','P0',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (120,'2026-11-01','North','P1',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (121,'2026-11-02','North','P2',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (122,'2026-11-03','North','P3',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (123,'2026-11-04','North','P4',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (124,'2026-11-05','North','P5',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (125,'2026-11-06','North','P6',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (126,'2026-11-07','North','P7',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (127,'2026-11-08','North','P8',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (128,'2026-11-09','North','P9',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (129,'2026-11-10','North','P10',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (130,'2026-11-11','North','P11',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (131,'2026-11-12','North','P12',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (132,'2026-11-13','North','P13',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (133,'2026-11-14','North','P14',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (134,'2026-11-15','North','P15',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (135,'2026-11-16','North','P16',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (136,'2026-11-17','North','P0',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (137,'2026-11-18','North','P1',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (138,'2026-11-19','North','P2',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (139,'2026-11-20','North','P3',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (140,'2026-11-21','North','P4',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (141,'2026-11-22','North','P5',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (142,'2026-11-23','North','P6',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (143,'2026-11-24','North','P7',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (144,'2026-11-25','North','P8',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (145,'2026-11-26','North','P9',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (146,'2026-11-27','North','P10',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (147,'2026-11-28','North','P11',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (148,'2026-11-29','North','P12',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (149,'2026-11-30','North','P13',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (150,'2026-11-01','North','P14',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (151,'2026-11-02','North','P15',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (152,'2026-11-03','North','P16',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (153,'2026-11-04','North','P0',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (154,'2026-11-05','North','P1',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (155,'2026-11-06','North','P2',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (156,'2026-11-07','North','P3',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (157,'2026-11-08','North','P4',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (158,'2026-11-09','North','P5',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (159,'2026-11-10','North','P6',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (160,'2026-11-11','North','P7',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (161,'2026-11-12','North','P8',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (162,'2026-11-13','North','P9',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (163,'2026-11-14','North','P10',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (164,'2026-11-15','North','P11',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (165,'2026-11-16','North','P12',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (166,'2026-11-17','North','P13',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (167,'2026-11-18','North','P14',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (168,'2026-11-19','North','P15',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (169,'2026-11-20','North','P16',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (170,'2026-11-21','North','P0',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (171,'2026-11-22','North','P1',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (172,'2026-11-23','North','P2',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (173,'2026-11-24','North','P3',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (174,'2026-11-25','North','P4',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (175,'2026-11-26','North','P5',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (176,'2026-11-27','North','P6',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (177,'2026-11-28','North','P7',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (178,'2026-11-29','North','P8',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (179,'2026-11-30','North','P9',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (180,'2026-11-01','North','P10',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (181,'2026-11-02','North','P11',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (182,'2026-11-03','North','P12',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (183,'2026-11-04','North','P13',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (184,'2026-11-05','North','P14',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (185,'2026-11-06','North','P15',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (186,'2026-11-07','North','P16',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (187,'2026-11-08','North','P0',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (188,'2026-11-09','North','P1',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (189,'2026-11-10','North','P2',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (190,'2026-11-11','North','P3',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (191,'2026-11-12','North','P4',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (192,'2026-11-13','North','P5',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (193,'2026-11-14','North','P6',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (194,'2026-11-15','North','P7',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (195,'2026-11-16','North','P8',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (196,'2026-11-17','North','P9',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (197,'2026-11-18','North','P10',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (198,'2026-11-19','North','P11',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (199,'2026-11-20','North','P12',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (200,'2026-11-21','North','P13',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (201,'2026-11-22','North','P14',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (202,'2026-11-23','North','P15',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (203,'2026-11-24','North','P16',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (204,'2026-11-25','North','P0',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (205,'2026-11-26','North','P1',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (206,'2026-11-27','North','P2',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (207,'2026-11-28','North','P3',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (208,'2026-11-29','North','P4',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (209,'2026-11-30','North','P5',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (210,'2026-11-01','North','P6',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (211,'2026-11-02','North','P7',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (212,'2026-11-03','North','P8',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (213,'2026-11-04','North','P9',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (214,'2026-11-05','North','P10',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (215,'2026-11-06','North','P11',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (216,'2026-11-07','North','P12',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (217,'2026-11-08','North','P13',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (218,'2026-11-09','North','P14',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (219,'2026-11-10','North','P15',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (220,'2026-11-11','North','P16',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (221,'2026-11-12','North','P0',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (222,'2026-11-13','North','P1',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (223,'2026-11-14','North','P2',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (224,'2026-11-15','North','P3',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (225,'2026-11-16','North','P4',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (226,'2026-11-17','North','P5',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (227,'2026-11-18','North','P6',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (228,'2026-11-19','North','P7',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (229,'2026-11-20','North','P8',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (230,'2026-11-21','North','P9',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (231,'2026-11-22','North','P10',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (232,'2026-11-23','North','P11',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (233,'2026-11-24','North','P12',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (234,'2026-11-25','North','P13',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (235,'2026-11-26','North','P14',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (236,'2026-11-27','North','P15',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (237,'2026-11-28','North','P16',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (238,'2026-11-29','North','P0',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (239,'2026-11-30','North','P1',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (240,'2026-11-01','North','P2',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (241,'2026-11-02','North','P3',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (242,'2026-11-03','North','P4',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (243,'2026-11-04','North','P5',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (244,'2026-11-05','North','P6',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (245,'2026-11-06','North','P7',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (246,'2026-11-07','North','P8',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (247,'2026-11-08','North','P9',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (248,'2026-11-09','North','P10',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (249,'2026-11-10','North','P11',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (250,'2026-11-11','North','P12',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (251,'2026-11-12','North','P13',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (252,'2026-11-13','North','P14',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (253,'2026-11-14','North','P15',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (254,'2026-11-15','North','P16',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (255,'2026-11-16','North','P0',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (256,'2026-11-17','North','P1',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (257,'2026-11-18','North','P2',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (258,'2026-11-19','North','P3',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (259,'2026-11-20','North','P4',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (260,'2026-11-21','North','P5',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (261,'2026-11-22','North','P6',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (262,'2026-11-23','North','P7',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (263,'2026-11-24','North','P8',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (264,'2026-11-25','North','P9',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (265,'2026-11-26','North','P10',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (266,'2026-11-27','North','P11',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (267,'2026-11-28','North','P12',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (268,'2026-11-29','North','P13',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (269,'2026-11-30','North','P14',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (270,'2026-11-01','North','P15',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (271,'2026-11-02','North','P16',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (272,'2026-11-03','North','P0',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (273,'2026-11-04','North','P1',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (274,'2026-11-05','North','P2',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (275,'2026-11-06','North','P3',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (276,'2026-11-07','North','P4',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (277,'2026-11-08','North','P5',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (278,'2026-11-09','North','P6',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (279,'2026-11-10','North','P7',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (280,'2026-11-11','North','P8',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (281,'2026-11-12','North','P9',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (282,'2026-11-13','North','P10',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (283,'2026-11-14','North','P11',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (284,'2026-11-15','North','P12',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (285,'2026-11-16','North','P13',1,2.50,2.50,0.50,3.00);
INSERT INTO `product_sales` VALUES (286,'2026-11-17','North','P14',2,2.50,5.00,0.50,6.00);
INSERT INTO `product_sales` VALUES (287,'2026-11-18','North','P15',3,2.50,7.50,0.50,9.00);
INSERT INTO `product_sales` VALUES (288,'2026-11-19','North','P16',4,2.50,10.00,0.50,12.00);
INSERT INTO `product_sales` VALUES (289,'2026-11-20','North','P0',5,2.50,12.50,0.50,15.00);
INSERT INTO `product_sales` VALUES (290,'2026-11-21','North','P1',1,2.50,2.50,0.50,3.00);
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_general_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017*/ /*!50003 TRIGGER `salesync_1_ai` AFTER INSERT ON `product_sales` FOR EACH ROW INSERT INTO `salesync_log_1` (`k1`, dc, oh, nh) VALUES (NEW.`id`, 1, 0, 0) 
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
/*!50003 CREATE*/ /*!50017*/ /*!50003 TRIGGER `salesync_1_au` AFTER UPDATE ON `product_sales` FOR EACH ROW BEGIN
  IF NEW.`id` <=> OLD.`id` THEN
    INSERT INTO `salesync_log_1` (`k1`, dc, oh, nh) VALUES (NEW.`id`, 0, CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(OLD.`id`), QUOTE(OLD.`sale_date`), QUOTE(OLD.`region`), QUOTE(OLD.`product`), QUOTE(OLD.`qty`), QUOTE(OLD.`cost`), QUOTE(OLD.`amt`), QUOTE(OLD.`tax`), QUOTE(OLD.`total`))), 16), 16, 10) AS UNSIGNED), 0);
  ELSE
    INSERT INTO `salesync_log_1` (`k1`, dc, oh, nh) VALUES (OLD.`id`, -1, CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(OLD.`id`), QUOTE(OLD.`sale_date`), QUOTE(OLD.`region`), QUOTE(OLD.`product`), QUOTE(OLD.`qty`), QUOTE(OLD.`cost`), QUOTE(OLD.`amt`), QUOTE(OLD.`tax`), QUOTE(OLD.`total`))), 16), 16, 10) AS UNSIGNED), 0), (NEW.`id`, 1, 0, 0);
  END IF;
END 
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
/*!50003 CREATE*/ /*!50017*/ /*!50003 TRIGGER `salesync_1_ad` AFTER DELETE ON `product_sales` FOR EACH ROW INSERT INTO `salesync_log_1` (`k1`, dc, oh, nh) VALUES (OLD.`id`, -1, CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(OLD.`id`), QUOTE(OLD.`sale_date`), QUOTE(OLD.`region`), QUOTE(OLD.`product`), QUOTE(OLD.`qty`), QUOTE(OLD.`cost`), QUOTE(OLD.`amt`), QUOTE(OLD.`tax`), QUOTE(OLD.`total`))), 16), 16, 10) AS UNSIGNED), 0) 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_bundles` (
  `seq` bigint(20) unsigned NOT NULL,
  `file` varchar(255) NOT NULL,
  `sha256` char(64) NOT NULL,
  `bytes` bigint(20) unsigned NOT NULL,
  `row_count` bigint(20) unsigned NOT NULL,
  `created_at` datetime(6) NOT NULL,
  `status` varchar(16) NOT NULL,
  `chunk_size` int(10) unsigned NOT NULL DEFAULT 0,
  `chunks_total` int(10) unsigned NOT NULL DEFAULT 0,
  `chunks_sent` int(10) unsigned NOT NULL DEFAULT 0,
  `sent_at` datetime(6) DEFAULT NULL,
  `acked_at` datetime(6) DEFAULT NULL,
  `ack_detail` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`seq`),
  KEY `status_idx` (`status`,`seq`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_bundles` VALUES (1,'fxb1-000000000001.ssb','e2d866d0fd554468296e918cbd16608dc363ad76d19f4a65fb7dec96f8709078',1700,300,'2026-12-04 19:04:26.164089','acked',1048576,1,1,'2026-12-04 19:04:26.218174','2026-12-04 19:04:26.386189','applied, 300 rows, state match');
INSERT INTO `salesync_bundles` VALUES (2,'fxb1-000000000002.ssb','e0a9667f8b539d38f5b63693352cc0f137e585feb00703c105d7a639f3e654b8',1656,30,'2026-12-04 19:04:26.469145','acked',1048576,1,1,'2026-12-04 19:04:26.483834','2026-12-04 19:04:36.683867','applied, 30 rows, state match');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_capture` (
  `table_id` smallint(5) unsigned NOT NULL,
  `table_name` varchar(64) NOT NULL,
  `fingerprint` char(64) NOT NULL,
  `watermark` bigint(20) unsigned NOT NULL DEFAULT 0,
  `snapshot_done` tinyint(4) NOT NULL DEFAULT 0,
  `state_rows` bigint(20) NOT NULL DEFAULT 0,
  `state_hash` bigint(20) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`table_id`),
  UNIQUE KEY `table_name` (`table_name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_capture` VALUES (1,'product_sales','f1983fb8314089c06fc90ba02feb5c07bb267564ded25acbd085495f8656205d',330,1,290,9872717879541097489);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_holes` (
  `table_id` smallint(5) unsigned NOT NULL,
  `lo` bigint(20) unsigned NOT NULL,
  `hi` bigint(20) unsigned NOT NULL,
  `seen_at` datetime(6) NOT NULL,
  PRIMARY KEY (`table_id`,`lo`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_log_1` (
  `seq` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `k1` bigint(20) unsigned NOT NULL COMMENT 'id',
  `dc` tinyint(4) NOT NULL,
  `oh` bigint(20) unsigned NOT NULL,
  `nh` bigint(20) unsigned NOT NULL,
  PRIMARY KEY (`seq`)
) ENGINE=InnoDB AUTO_INCREMENT=331 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_runs` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `command` varchar(32) NOT NULL,
  `started_at` datetime(6) NOT NULL,
  `ended_at` datetime(6) DEFAULT NULL,
  `outcome` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_runs` VALUES (1,'export','2026-12-04 19:04:26.142211','2026-12-04 19:04:26.166380','ok');
INSERT INTO `salesync_runs` VALUES (2,'drain','2026-12-04 19:04:26.203461','2026-12-04 19:04:26.221575','incomplete (exit 75)');
INSERT INTO `salesync_runs` VALUES (3,'drain','2026-12-04 19:04:26.379838','2026-12-04 19:04:26.391213','ok');
INSERT INTO `salesync_runs` VALUES (4,'run','2026-12-04 19:04:26.442517','2026-12-04 19:04:36.493697','incomplete (exit 75)');
INSERT INTO `salesync_runs` VALUES (5,'drain','2026-12-04 19:04:36.674961','2026-12-04 19:04:36.689523','ok');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `salesync_schema` (
  `role` varchar(16) NOT NULL,
  `version` int(11) NOT NULL,
  `installed_at` datetime(6) NOT NULL,
  PRIMARY KEY (`role`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `salesync_schema` VALUES ('branch',2,'2026-12-04 19:04:25.942754');
