import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { DownPeriod, parseDownInput } from './down-period';
import { FaultRuleError } from './fault-rule';
import { FaultsService } from './faults.service';

/** A controller that is away: every request outside /_sim has its connection destroyed (DownMiddleware). */
@Controller('_sim/down')
export class DownController {
  constructor(private readonly faults: FaultsService) {}

  @Post()
  start(@Body() body: unknown): DownPeriod {
    try {
      return this.faults.startDown(parseDownInput(body));
    } catch (error) {
      if (error instanceof FaultRuleError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  /** The current or latest down period. */
  @Get()
  current(): DownPeriod {
    const down = this.faults.currentDown();
    if (!down) throw new NotFoundException('No down period');
    return down;
  }

  @Delete()
  @HttpCode(204)
  end(): void {
    this.faults.endDown();
  }
}
