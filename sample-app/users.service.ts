import { Injectable } from '@nestjs/common';

export interface User {
  id: number;
  name: string;
  lastSeen: Date;
}

/** A stand-in for a real user store: it changes over time so the refresh job has work to do. */
@Injectable()
export class UsersService {
  private readonly users: User[] = [
    { id: 1, name: 'Ada', lastSeen: new Date() },
    { id: 2, name: 'Grace', lastSeen: new Date() },
  ];

  async findAll(): Promise<User[]> {
    await new Promise((resolve) => setTimeout(resolve, 50)); // pretend I/O
    return this.users.map((u) => ({ ...u }));
  }

  signUp(name: string): User {
    const user = { id: this.users.length + 1, name, lastSeen: new Date() };
    this.users.push(user);
    return user;
  }
}
