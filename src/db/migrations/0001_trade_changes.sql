CREATE TABLE `trade_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`changes` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `trade_changes` (`id`, `changes`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `trades_insert_counted` AFTER INSERT ON `trades` BEGIN UPDATE `trade_changes` SET `changes` = `changes` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `trades_update_counted` AFTER UPDATE ON `trades` BEGIN UPDATE `trade_changes` SET `changes` = `changes` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `trades_delete_counted` AFTER DELETE ON `trades` BEGIN UPDATE `trade_changes` SET `changes` = `changes` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `orders_insert_counted` AFTER INSERT ON `orders` BEGIN UPDATE `trade_changes` SET `changes` = `changes` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `orders_update_counted` AFTER UPDATE ON `orders` BEGIN UPDATE `trade_changes` SET `changes` = `changes` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `orders_delete_counted` AFTER DELETE ON `orders` BEGIN UPDATE `trade_changes` SET `changes` = `changes` + 1 WHERE `id` = 1; END;
