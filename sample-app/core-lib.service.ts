import { Injectable } from '@nestjs/common';
import { UsersService } from './users.service.js';

/**
 * The app's CoreLib: what core-lib's `self.core_lib` gives a job. Every job receives this
 * instance as `this.coreLib`.
 */
@Injectable()
export class CoreLib {
  /** An in-memory cache the jobs keep warm. */
  readonly cache = new Map<string, unknown>();

  constructor(readonly users: UsersService) {}
}
