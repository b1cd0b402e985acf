/** The driver's check that an SQL text holds one statement (src/db/pipeline.ts): semicolons in strings, identifiers and comments do not count. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { separatesStatements } from '../../src/db/pipeline';

test('a semicolon inside a string, an identifier or a comment does not end a statement', () => {
  for (const sql of [
    'SELECT 1',
    "SELECT CONCAT('a; b', x) FROM t",
    "SELECT 'it''s; fine'",
    "SELECT 'back\\'slash; still inside'",
    'SELECT "double; quoted"',
    'SELECT `odd;name` FROM t',
    'SELECT 1 -- a comment; here\nFROM t',
    'SELECT 1 # a comment; here\nFROM t',
    'SELECT /* a comment; here */ 1',
  ]) {
    assert.equal(separatesStatements(sql), false, sql);
  }
});

test('a semicolon outside them does, wherever quotes and comments around it end', () => {
  for (const sql of [
    'SELECT 1; SELECT 2',
    "SELECT 'a'; DELETE FROM t",
    "SELECT 'it''s'; DELETE FROM t",
    "SELECT 'x\\\\'; DELETE FROM t",
    'SELECT 1 /* c */; DELETE FROM t',
    'SELECT 1 -- c\n; DELETE FROM t',
    'SELECT 1 --; DELETE FROM t',
    'SELECT 1 /*! ; DELETE FROM t */',
    'SELECT 1 /*M! ; DELETE FROM t */',
  ]) {
    assert.equal(separatesStatements(sql), true, sql);
  }
});
