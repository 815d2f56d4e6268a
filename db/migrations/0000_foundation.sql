CREATE TABLE `app_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` integer,
	`before` text,
	`after` text,
	FOREIGN KEY (`actor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `auth_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `auth_tokens_hash_unique` ON `auth_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `auth_tokens_person_idx` ON `auth_tokens` (`person_id`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`password_hash` text,
	`disabled_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_unique` ON `people` (`email`);--> statement-breakpoint
CREATE TABLE `role_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`role` text NOT NULL,
	`title` text,
	`school_id` integer,
	`team_id` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "role_assignments_scope" CHECK(("role_assignments"."role" in ('trust_admin', 'trust_leader') and "role_assignments"."school_id" is null and "role_assignments"."team_id" is null)
        or ("role_assignments"."role" = 'school_leader' and "role_assignments"."school_id" is not null and "role_assignments"."team_id" is null)
        or ("role_assignments"."role" in ('team_leader', 'team_member') and "role_assignments"."team_id" is not null and "role_assignments"."school_id" is null))
);
--> statement-breakpoint
CREATE INDEX `role_assignments_person_idx` ON `role_assignments` (`person_id`);--> statement-breakpoint
CREATE INDEX `role_assignments_team_idx` ON `role_assignments` (`team_id`);--> statement-breakpoint
CREATE INDEX `role_assignments_school_idx` ON `role_assignments` (`school_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `role_assignments_trust_unique` ON `role_assignments` (`person_id`,`role`) WHERE school_id is null and team_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX `role_assignments_school_unique` ON `role_assignments` (`person_id`,`school_id`) WHERE school_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `role_assignments_team_unique` ON `role_assignments` (`person_id`,`team_id`) WHERE team_id is not null;--> statement-breakpoint
CREATE TABLE `schools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`urn` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schools_urn_unique` ON `schools` (`urn`);--> statement-breakpoint
CREATE UNIQUE INDEX `schools_name_unique` ON `schools` (`name`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`school_id` integer,
	`name` text NOT NULL,
	`session_weekday` integer DEFAULT 2 NOT NULL,
	`session_time` text DEFAULT '08:00' NOT NULL,
	`session_minutes` integer DEFAULT 20 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "teams_weekday_range" CHECK("teams"."session_weekday" between 1 and 7),
	CONSTRAINT "teams_minutes_range" CHECK("teams"."session_minutes" between 5 and 30)
);
--> statement-breakpoint
CREATE INDEX `teams_school_idx` ON `teams` (`school_id`);--> statement-breakpoint
CREATE TABLE `trust_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_zone` text DEFAULT 'Europe/London' NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "trust_settings_single_row" CHECK("trust_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `web_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` integer,
	`data` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `web_sessions_person_idx` ON `web_sessions` (`person_id`);--> statement-breakpoint
CREATE INDEX `web_sessions_expires_idx` ON `web_sessions` (`expires_at`);