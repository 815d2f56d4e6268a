CREATE TABLE `calendar_feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `calendar_feeds_person_idx` ON `calendar_feeds` (`person_id`,`team_id`);--> statement-breakpoint
CREATE TABLE `commitments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`week` text NOT NULL,
	`lead_measure_id` integer,
	`text` text NOT NULL,
	`session_id` integer,
	`outcome` text,
	`outcome_note` text,
	`accounted_session_id` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`lead_measure_id`) REFERENCES `lead_measures`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`session_id`) REFERENCES `wig_sessions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`accounted_session_id`) REFERENCES `wig_sessions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `commitments_team_week_idx` ON `commitments` (`team_id`,`week`);--> statement-breakpoint
CREATE INDEX `commitments_person_week_idx` ON `commitments` (`person_id`,`week`);--> statement-breakpoint
CREATE TABLE `display_pairings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`secret_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`display_id` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`display_id`) REFERENCES `displays`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `display_pairings_code_unique` ON `display_pairings` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `display_pairings_secret_unique` ON `display_pairings` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `displays` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`school_id` integer,
	`team_id` integer,
	`rotate_seconds` integer DEFAULT 20 NOT NULL,
	`token_hash` text,
	`paired_by` integer,
	`last_seen_at` integer,
	`revoked_at` integer,
	`revoked_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`paired_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`revoked_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "displays_rotate_range" CHECK("displays"."rotate_seconds" between 5 and 600),
	CONSTRAINT "displays_target" CHECK(("displays"."kind" = 'team' and "displays"."team_id" is not null)
        or ("displays"."kind" in ('rotation', 'school') and "displays"."school_id" is not null and "displays"."team_id" is null)
        or ("displays"."kind" = 'trust' and "displays"."school_id" is null and "displays"."team_id" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `displays_token_unique` ON `displays` (`token_hash`);--> statement-breakpoint
CREATE INDEX `displays_school_idx` ON `displays` (`school_id`);--> statement-breakpoint
CREATE TABLE `path_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`session_id` integer,
	`week` text NOT NULL,
	`text` text NOT NULL,
	`raised_by` integer,
	`assignee_id` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`resolution` text,
	`resolved_by` integer,
	`resolved_at` integer,
	`raised_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `wig_sessions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`raised_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`resolved_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `path_requests_team_idx` ON `path_requests` (`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `path_requests_assignee_idx` ON `path_requests` (`assignee_id`,`status`);--> statement-breakpoint
CREATE TABLE `reminder_opt_outs` (
	`person_id` integer NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminder_opt_outs_unique` ON `reminder_opt_outs` (`person_id`,`kind`);--> statement-breakpoint
CREATE TABLE `reminder_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`person_id` integer,
	`to_address` text NOT NULL,
	`school_id` integer,
	`team_id` integer,
	`week` text NOT NULL,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`html_body` text NOT NULL,
	`due_at` integer NOT NULL,
	`stale_at` integer NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminder_outbox_key_unique` ON `reminder_outbox` (`key`);--> statement-breakpoint
CREATE INDEX `reminder_outbox_status_idx` ON `reminder_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `reminder_settings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`school_id` integer,
	`enabled` integer NOT NULL,
	`send_time` text NOT NULL,
	`day_offset` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminder_settings_trust_unique` ON `reminder_settings` (`kind`) WHERE school_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX `reminder_settings_school_unique` ON `reminder_settings` (`kind`,`school_id`) WHERE school_id is not null;--> statement-breakpoint
CREATE TABLE `school_webhooks` (
	`school_id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `session_attendance` (
	`session_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`present` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `wig_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_attendance_unique` ON `session_attendance` (`session_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `session_attendance_person_idx` ON `session_attendance` (`person_id`);--> statement-breakpoint
CREATE TABLE `wig_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`week` text NOT NULL,
	`held_at` integer NOT NULL,
	`worked` text DEFAULT '' NOT NULL,
	`did_not_work` text DEFAULT '' NOT NULL,
	`recorded_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wig_sessions_team_week_unique` ON `wig_sessions` (`team_id`,`week`);