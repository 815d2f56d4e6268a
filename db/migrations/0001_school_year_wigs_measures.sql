CREATE TABLE `academic_years` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "academic_years_order" CHECK("academic_years"."start_date" <= "academic_years"."end_date")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `academic_years_name_unique` ON `academic_years` (`name`);--> statement-breakpoint
CREATE TABLE `closures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`school_id` integer,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "closures_order" CHECK("closures"."start_date" <= "closures"."end_date")
);
--> statement-breakpoint
CREATE INDEX `closures_school_idx` ON `closures` (`school_id`);--> statement-breakpoint
CREATE INDEX `closures_dates_idx` ON `closures` (`start_date`);--> statement-breakpoint
CREATE TABLE `lag_readings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wig_id` integer NOT NULL,
	`date` text NOT NULL,
	`value` real NOT NULL,
	`note` text,
	`entered_by` integer,
	`entered_at` integer NOT NULL,
	FOREIGN KEY (`wig_id`) REFERENCES `wigs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entered_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lag_readings_wig_date_unique` ON `lag_readings` (`wig_id`,`date`);--> statement-breakpoint
CREATE TABLE `lead_day_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lead_measure_id` integer NOT NULL,
	`date` text NOT NULL,
	`person_id` integer,
	`kept` integer NOT NULL,
	`entered_by` integer,
	`entered_at` integer NOT NULL,
	FOREIGN KEY (`lead_measure_id`) REFERENCES `lead_measures`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entered_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lead_day_entries_person_unique` ON `lead_day_entries` (`lead_measure_id`,`date`,`person_id`) WHERE person_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `lead_day_entries_team_unique` ON `lead_day_entries` (`lead_measure_id`,`date`) WHERE person_id is null;--> statement-breakpoint
CREATE TABLE `lead_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lead_measure_id` integer NOT NULL,
	`week` text NOT NULL,
	`person_id` integer,
	`value` real NOT NULL,
	`entered_by` integer,
	`entered_at` integer NOT NULL,
	FOREIGN KEY (`lead_measure_id`) REFERENCES `lead_measures`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entered_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lead_entries_person_unique` ON `lead_entries` (`lead_measure_id`,`week`,`person_id`) WHERE person_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `lead_entries_team_unique` ON `lead_entries` (`lead_measure_id`,`week`) WHERE person_id is null;--> statement-breakpoint
CREATE INDEX `lead_entries_week_idx` ON `lead_entries` (`week`);--> statement-breakpoint
CREATE TABLE `lead_measures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wig_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`per_person` integer NOT NULL,
	`unit` text DEFAULT '' NOT NULL,
	`direction` text DEFAULT 'increase' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`wig_id`) REFERENCES `wigs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lead_measures_wig_idx` ON `lead_measures` (`wig_id`,`status`);--> statement-breakpoint
CREATE TABLE `lead_targets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lead_measure_id` integer NOT NULL,
	`from_week` text NOT NULL,
	`target` real NOT NULL,
	`set_by` integer,
	`set_at` integer NOT NULL,
	FOREIGN KEY (`lead_measure_id`) REFERENCES `lead_measures`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`set_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lead_targets_measure_week_unique` ON `lead_targets` (`lead_measure_id`,`from_week`);--> statement-breakpoint
CREATE TABLE `terms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`academic_year_id` integer NOT NULL,
	`name` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	FOREIGN KEY (`academic_year_id`) REFERENCES `academic_years`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "terms_order" CHECK("terms"."start_date" <= "terms"."end_date")
);
--> statement-breakpoint
CREATE INDEX `terms_year_idx` ON `terms` (`academic_year_id`);--> statement-breakpoint
CREATE TABLE `wigs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`level` text NOT NULL,
	`school_id` integer,
	`team_id` integer,
	`parent_id` integer,
	`lag_name` text NOT NULL,
	`unit` text DEFAULT '' NOT NULL,
	`direction` text,
	`baseline` real,
	`target` real,
	`start_date` text,
	`deadline` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`veto_reason` text,
	`vetoed_by` integer,
	`vetoed_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`parent_id`) REFERENCES `wigs`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`vetoed_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "wigs_owner" CHECK(("wigs"."level" = 'trust' and "wigs"."school_id" is null and "wigs"."team_id" is null)
        or ("wigs"."level" = 'school' and "wigs"."school_id" is not null and "wigs"."team_id" is null)
        or ("wigs"."level" = 'team' and "wigs"."team_id" is not null))
);
--> statement-breakpoint
CREATE INDEX `wigs_team_idx` ON `wigs` (`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `wigs_school_idx` ON `wigs` (`school_id`,`status`);--> statement-breakpoint
CREATE INDEX `wigs_parent_idx` ON `wigs` (`parent_id`);