import { Injectable, UseGuards, type CanActivate } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Session, SessionService } from '../../../lib/index.js';

/** What this app keeps in its session. */
export interface AppSession {
  user?: string;
  views?: number;
}

/** A service the resolver calls: it reads the session through SessionService. */
@Injectable()
export class AccountService {
  constructor(private readonly sessions: SessionService) {}

  currentUser(): string | null {
    return this.sessions.get<AppSession>().user ?? null;
  }
}

/** A guard on resolvers, reading the session through SessionService. */
@Injectable()
export class LoggedInGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  canActivate(): boolean {
    return this.sessions.get<AppSession>().user !== undefined;
  }
}

@Resolver()
export class AccountResolver {
  constructor(
    private readonly sessions: SessionService,
    private readonly accounts: AccountService,
  ) {}

  /** Reads the session through @Session(). */
  @Query(() => Int)
  views(@Session() session: Session<AppSession>): number {
    return session.views ?? 0;
  }

  /** Writes the session through @Session(). */
  @Mutation(() => Int)
  increment(@Session() session: Session<AppSession>): number {
    session.views = (session.views ?? 0) + 1;
    return session.views;
  }

  /** One value of the session: @Session('user'). */
  @Query(() => String, { nullable: true })
  user(@Session('user') user?: string): string | null {
    return user ?? null;
  }

  /** Writes the session through SessionService. */
  @Mutation(() => String)
  login(@Args('name', { type: () => String }) name: string): string {
    this.sessions.get<AppSession>().user = name;
    return name;
  }

  /** Reads the session in a service the resolver calls. */
  @Query(() => String, { nullable: true })
  me(): string | null {
    return this.accounts.currentUser();
  }

  @Query(() => String)
  @UseGuards(LoggedInGuard)
  secret(): string {
    return `secret of ${this.accounts.currentUser()}`;
  }

  @Mutation(() => Boolean)
  logout(): boolean {
    this.sessions.destroy();
    return true;
  }
}
