import { Module } from '@nestjs/common';
import { UsersService } from './users.service.js';

/** The user list, in a module of its own so that the session module's factory can inject it. */
@Module({ providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
