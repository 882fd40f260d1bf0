CREATE TABLE `kv` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`value_type` text NOT NULL,
	`string_value` text,
	`datetime_value` integer,
	`float_value` real,
	`int_value` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kv_key_unique` ON `kv` (`key`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ft_trade_id` integer NOT NULL,
	`ft_order_side` text NOT NULL,
	`ft_pair` text NOT NULL,
	`ft_is_open` integer DEFAULT true NOT NULL,
	`ft_amount` real NOT NULL,
	`ft_price` real NOT NULL,
	`ft_cancel_reason` text,
	`ft_order_tag` text,
	`order_id` text NOT NULL,
	`status` text,
	`symbol` text,
	`order_type` text,
	`side` text,
	`price` real,
	`average` real,
	`amount` real,
	`filled` real,
	`remaining` real,
	`cost` real,
	`stop_price` real,
	`order_date` integer,
	`order_filled_date` integer,
	`order_update_date` integer,
	`funding_fee` real,
	`ft_fee_base` real,
	FOREIGN KEY (`ft_trade_id`) REFERENCES `trades`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `_order_pair_order_id` ON `orders` (`ft_pair`,`order_id`);--> statement-breakpoint
CREATE INDEX `ix_orders_ft_trade_id` ON `orders` (`ft_trade_id`);--> statement-breakpoint
CREATE TABLE `pairlocks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pair` text NOT NULL,
	`side` text DEFAULT '*' NOT NULL,
	`reason` text,
	`lock_time` integer NOT NULL,
	`lock_end_time` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_pairlocks_pair` ON `pairlocks` (`pair`);--> statement-breakpoint
CREATE INDEX `ix_pairlocks_lock_end_time` ON `pairlocks` (`lock_end_time`);--> statement-breakpoint
CREATE TABLE `trades` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exchange` text NOT NULL,
	`pair` text NOT NULL,
	`base_currency` text,
	`stake_currency` text,
	`is_open` integer DEFAULT true NOT NULL,
	`fee_open` real DEFAULT 0 NOT NULL,
	`fee_open_cost` real,
	`fee_open_currency` text,
	`fee_close` real DEFAULT 0 NOT NULL,
	`fee_close_cost` real,
	`fee_close_currency` text,
	`open_rate` real NOT NULL,
	`open_rate_requested` real,
	`open_trade_value` real,
	`close_rate` real,
	`close_rate_requested` real,
	`realized_profit` real DEFAULT 0 NOT NULL,
	`close_profit` real,
	`close_profit_abs` real,
	`stake_amount` real NOT NULL,
	`max_stake_amount` real,
	`amount` real NOT NULL,
	`amount_requested` real,
	`open_date` integer NOT NULL,
	`close_date` integer,
	`stop_loss` real DEFAULT 0 NOT NULL,
	`stop_loss_pct` real,
	`initial_stop_loss` real DEFAULT 0 NOT NULL,
	`initial_stop_loss_pct` real,
	`is_stop_loss_trailing` integer DEFAULT false NOT NULL,
	`stoploss_last_update` integer,
	`max_rate` real,
	`min_rate` real,
	`exit_reason` text,
	`exit_order_status` text,
	`strategy` text,
	`enter_tag` text,
	`timeframe` integer,
	`trading_mode` text,
	`amount_precision` real,
	`price_precision` real,
	`precision_mode` integer,
	`precision_mode_price` integer,
	`contract_size` real,
	`leverage` real DEFAULT 1 NOT NULL,
	`is_short` integer DEFAULT false NOT NULL,
	`liquidation_price` real,
	`interest_rate` real DEFAULT 0 NOT NULL,
	`funding_fees` real,
	`record_version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_trades_pair` ON `trades` (`pair`);--> statement-breakpoint
CREATE INDEX `ix_trades_is_open` ON `trades` (`is_open`);